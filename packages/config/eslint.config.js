import shared from '@hitless/eslint-config';

// This package is the one place that reads process.env.
export default [...shared, { rules: { 'no-restricted-syntax': 'off' } }];
