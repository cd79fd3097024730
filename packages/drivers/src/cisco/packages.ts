/**
 * The IOS version inside an IOS-XE package, from Cisco's file naming:
 * `asr1000rp2-adventerprisek9.03.16.05.S.155-3.S5-ext.bin` → 15.5(3)S5,
 * `cat4500e-universalk9.SPA.03.06.04.E.152-2.E4.bin` → 15.2(2)E4. Null when the name does not say.
 */
export function iosVersionOfPackage(fileName: string): string | null {
  const m = /\.(\d{2})(\d)-(\d+)\.([A-Z]+\d*)(?:-ext)?\.bin$/i.exec(fileName.replace(/^.*[:/]/, ''));
  return m ? `${m[1]}.${m[2]}(${m[3]})${m[4]}` : null;
}
