// The Snowball Swedish stemmer (snowballstem.org/algorithms/swedish/stemmer.html), for query words on
// SQLite: FTS5 has no Swedish stemmer, so the catalog stems what a teacher types and matches the stem
// as a prefix of the (unstemmed) indexed words. "grupper" → "grupp" finds grupp, gruppen, grupperna;
// "lasbarhet" → "lasbar" finds läsbarhet, läsbara. Every stem is a prefix of its word, which is what
// prefix matching needs. PostgreSQL stems with its own copy of the same algorithm (config swedish).
const VOWELS = new Set("aeiouyäåö");
const S_ENDING = new Set("bcdfghjklmnoprtvy");

// Step 1 suffixes, longest first so the first hit is the longest one.
const STEP1 = [
  "heterna", "hetens", "anden", "andes", "andet", "arens", "arnas", "ernas", "heten", "heter", "ornas",
  "ande", "ades", "arna", "arne", "aren", "aste", "erna", "erns", "orna",
  "ade", "are", "ast", "ens", "ern", "het",
  "ad", "ar", "as", "at", "en", "er", "es", "or",
  "a", "e",
];
const STEP2 = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];

/** Start of R1: after the first non-vowel that follows a vowel, but at least 3 letters in. */
function r1Start(word: string): number {
  for (let i = 1; i < word.length; i++) {
    if (!VOWELS.has(word[i]!) && VOWELS.has(word[i - 1]!)) return Math.max(i + 1, 3);
  }
  return word.length;
}

/** The stem of one lowercase word. Words of other scripts or with digits pass through unchanged. */
export function swedishStem(word: string): string {
  const r1 = r1Start(word);
  const inR1 = (w: string, suffix: string) => w.endsWith(suffix) && w.length - suffix.length >= r1;

  let w = word;
  const s1 = STEP1.find((s) => inR1(w, s));
  if (s1) w = w.slice(0, -s1.length);
  else if (inR1(w, "s") && w.length >= 2 && S_ENDING.has(w[w.length - 2]!)) w = w.slice(0, -1);

  if (STEP2.some((s) => inR1(w, s))) w = w.slice(0, -1);

  if (inR1(w, "fullt")) w = w.slice(0, -1);
  else if (inR1(w, "löst")) w = w.slice(0, -1);
  else {
    const s3 = ["lig", "els", "ig"].find((s) => inR1(w, s));
    if (s3) w = w.slice(0, -s3.length);
  }
  return w;
}
