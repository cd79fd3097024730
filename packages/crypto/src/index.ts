export * from './secret-box.ts';
export * from './passwords.ts';
export * from './tokens.ts';
export * from './host-keys.ts';
export * from './known-hosts.ts';
export * from './compare.ts';
