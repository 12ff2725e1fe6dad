/** The CRM field types a CRM field or an update rule can have. */
export const FIELD_TYPES = ["text", "textarea", "numeric", "date", "select", "multiselect", "radiobutton", "checkbox", "url"];
