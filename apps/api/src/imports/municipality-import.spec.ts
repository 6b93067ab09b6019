import { importMetadataStart } from './municipality-import';

describe("an imported event's metadata JSON", () => {
  it('is the JSON of its metadata object, written by joining the stream part and the date', () => {
    const at = '2024-01-02T03:04:05.000Z';
    for (const [actor, importedFrom] of [
      ['system:import', 'DUBU/2019-004711'],
      ['admin "Ørsted" \\ 1', 'Nexus/a:b/c-d_e.f'],
    ] as const) {
      expect(`${importMetadataStart(actor, importedFrom)}${at}"}`).toBe(
        JSON.stringify({ actor, actorRoles: ['system'], importedFrom, at }),
      );
    }
  });
});
