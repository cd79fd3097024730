export const TEMPLATE_DB = 'hitless_template';
