// A gcloud command as words, and how a word is written for bash.
export interface GcloudCommand {
  /** `gcloud compute backend-services create NAME`, as words. */
  command: string[];
  flags: string[];
  /** A here-document fed to the command's standard input. */
  stdin?: string;
}

const SAFE_WORD = /^[-A-Za-z0-9_./=:,@%+]+$/;

/** A word for bash: as is when safe, in single quotes otherwise. */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
