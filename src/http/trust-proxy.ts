/** HUOMA_TRUST_PROXY as parsed by config.ts: everyone, nobody, the nearest N hops, or these addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

/**
 * Fastify's `trustProxy` option for the setting. Fastify 5.12 reads a bare number as "trust nobody"
 * (a hop count cannot tell a proxy from a client that connects directly), so the documented meaning
 * of a hop count — the socket peer and the N−1 addresses it forwarded are proxies — is given as a
 * function of the hop; README says to firewall instances when using one.
 */
export function trustProxyOption(setting: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
