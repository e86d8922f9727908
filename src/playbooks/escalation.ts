/** The lead-scoring seed's Key Contacts: the roles the role directory maps to people. */

export const CONTACT_ROLES = ["ml-lead", "mlops-engineer", "data-engineer", "sales-lead", "product-manager"] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const contactRoleNames: Record<ContactRole, string> = {
  "ml-lead": "ML Lead",
  "mlops-engineer": "MLOps Engineer",
  "data-engineer": "Data Engineer",
  "sales-lead": "Sales Lead",
  "product-manager": "Product Manager",
};

export function isContactRole(value: string): value is ContactRole {
  return (CONTACT_ROLES as readonly string[]).includes(value);
}
