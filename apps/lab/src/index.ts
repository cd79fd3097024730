export { startLab, LabError, type Lab, type LabDeviceInfo, type LabOptions } from './lab.ts';
export { consoleForm, formatSyslog, type SyslogFormat, type SyslogSource, type SyslogTarget } from './syslog.ts';
export { generateHostKey, type PresentedHostKey, type SshProfile } from './ssh.ts';
export { LabClient } from './client.ts';
export { registerLabFleet, LAB_CREDENTIAL, type LabDevice } from './register.ts';
export { knownHostsFile, labEnableHint, labSshCommand } from './known-hosts.ts';
