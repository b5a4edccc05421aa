/** How hard a passphrase is to guess, as a person reads it. */
export interface Strength {
  /** zxcvbn's 0 (guessable at once) to 4 (very unlikely to be guessed). */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  /** What makes it weak, when something does. */
  warning?: string;
  suggestion?: string;
}

/**
 * The least score a new passphrase needs: the relay keeps the vault's check value, so whoever
 * gets it can try passphrases offline, as fast as Argon2id lets them. 3 is zxcvbn's "safely
 * unguessable" against such a slow hash.
 */
export const STRONG_ENOUGH = 3;

const LABELS = ["very weak", "weak", "fair", "strong", "very strong"] as const;

type Checker = (passphrase: string, userInputs: string[]) => Strength;
let checker: Promise<Checker> | undefined;

/**
 * Loads zxcvbn (with its common-password and English dictionaries, a separate chunk fetched only
 * when a passphrase is being created) and answers a checker.
 */
export function loadStrengthChecker(): Promise<Checker> {
  checker ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common"), import("@zxcvbn-ts/language-en")]).then(([core, common, en]) => {
    const zxcvbn = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return (passphrase, userInputs) => {
      const r = zxcvbn.check(passphrase, userInputs);
      const score = r.score as Strength["score"];
      return {
        score,
        label: LABELS[score],
        ...(r.feedback.warning ? { warning: r.feedback.warning } : {}),
        ...(r.feedback.suggestions[0] ? { suggestion: r.feedback.suggestions[0] } : {}),
      };
    };
  });
  return checker;
}
