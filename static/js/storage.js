// The learner's code, saved per problem in localStorage. Storage can be missing (privacy
// modes) or full; then `save` reports false and the page says the code is not being kept.

const PREFIX = "ml-practice:v1";

export function codeStore(slug) {
  const key = `${PREFIX}:code:${slug}`;
  return {
    /** The saved code, or null when there is none (or storage cannot be read). */
    load() {
      try {
        const saved = JSON.parse(localStorage.getItem(key));
        return typeof saved?.code === "string" ? saved.code : null;
      } catch {
        return null;
      }
    },
    /** Save `code`; return whether it was stored. */
    save(code) {
      try {
        localStorage.setItem(key, JSON.stringify({ code, savedAt: new Date().toISOString() }));
        return true;
      } catch {
        return false;
      }
    },
  };
}
