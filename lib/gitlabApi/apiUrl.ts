// Which GitLab API addresses a token may be sent to. The token travels in a request header, so a
// plain-http address would put it on the wire in clear text: only https is accepted, except for the
// loopback interface, where the tests run their local GitLab stand-in.

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Thrown for an API address the client must not use; the message is one line with the fix. */
export class ApiUrlError extends Error {
  override readonly name = "ApiUrlError";
}

/**
 * `raw` as the API base the client prefixes paths with (no trailing slash), or an ApiUrlError.
 * `source` names where the address came from (`CI_API_V4_URL`, `--api-url`) for the message.
 */
export function checkApiUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiUrlError(`${source} is not a URL (${JSON.stringify(raw.slice(0, 80))}). Fix: set it to the instance's API address, such as https://gitlab.example.com/api/v4.`);
  }
  if (url.username || url.password) {
    throw new ApiUrlError(`${source} contains credentials. Fix: remove the user and password from the address; the token is sent in the PRIVATE-TOKEN header.`);
  }
  if (url.search || url.hash) {
    throw new ApiUrlError(`${source} has a query or fragment (${url.origin}${url.pathname}…). Fix: set it to the bare API address, such as https://gitlab.example.com/api/v4.`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ApiUrlError(`${source} is ${url.protocol}//${url.host}: refusing to send the API token without TLS. Fix: use the instance's https address (http is accepted only for 127.0.0.1 and localhost).`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
