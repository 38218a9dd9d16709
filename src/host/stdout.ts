// The one place in src/ that writes to stdout. Terraform reads the first stdout line as the plugin handshake, so
// nothing else may ever be written there by the provider (logs go to stderr).

export function writeStdout(text: string): void {
  process.stdout.write(text);
}
