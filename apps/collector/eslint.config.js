export { default } from '@hitless/eslint-config';
