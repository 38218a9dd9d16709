// The explanation of a CreateImage refused because the account already has an OMI of that name. The provider cannot
// tell a create_before_destroy replacement (the OMI being replaced still holds the name, and Terraform creates the new
// one first) from an OMI that Terraform created but lost (e.g. the provider was stopped while it waited), so the
// message gives the way out of each.

export function nameConflictDetail(name: string, holderId: string | undefined, apiMessage: string): string {
  const holder = holderId ?? 'the existing OMI';
  const lines = [
    holderId ? `An OMI named "${name}" already exists: ${holderId}.` : `An OMI named "${name}" already exists.`,
    `- If this apply replaces an OMI with create_before_destroy: the OMI being replaced, ${holder}, still holds the ` +
      'name while the new one is created, and OMI names are unique. Give the new OMI another image_name (for example ' +
      'with a suffix that changes with each replacement), or drop create_before_destroy.',
    holderId
      ? `- If Terraform created ${holderId} but lost track of it (for example the provider was stopped while it waited), ` +
        `bring it under management with:\n  terraform import outscale_image.<name> ${holderId}`
      : '- If Terraform created it but lost track of it, find its id (ReadImages with this name) and import it with terraform import.',
    '- Otherwise choose another image_name.',
    `(${apiMessage})`,
  ];
  return lines.join('\n');
}
