/* The public base URL of `vigil serve` (--public-url): where clients reach it, behind a proxy or
 * TLS terminator, for the absolute URLs it gives out (TAXII discovery). Its own module so that the
 * CLI can check the option without loading the server. */

/** `https://vigil.example.org` (with a path when served under one, no trailing slash); throws,
 * naming the value, when it is not an http or https URL without user, query or fragment. */
export function publicBaseUrl(value: string): string {
  if (!URL.canParse(value)) throw new Error(`'${value}' is not a URL (such as https://vigil.example.org)`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`'${value}' is not an http or https URL`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    throw new Error(`'${value}' must not carry a user name, password, query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
