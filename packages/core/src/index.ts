export * from './errors.ts';
export * from './rbac.ts';
export * from './canonical-json.ts';
export * from './compatibility.ts';
export * from './inventory-csv.ts';
