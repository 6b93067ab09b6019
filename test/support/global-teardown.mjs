export default async function globalTeardown() {
  const pg = globalThis.__TOVHOLDER_PG__;
  if (pg) await pg.stop();
}
