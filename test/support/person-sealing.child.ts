// Seals a batch large enough for the sealing thread in a process started with the scripts' V8
// flags, and prints whether the thread sealed it (see person-sealing-flags.spec.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { masterKeyFrom } from '../../apps/api/src/persons/person-crypto';
import { PersonSealer } from '../../apps/api/src/persons/person-sealing';

async function main(): Promise<void> {
  let failure: string | null = null;
  const sealer = new PersonSealer(masterKeyFrom(randomBytes(32)), (reason) => {
    failure = reason;
  });
  const persons = Array.from({ length: 250 }, (_, i) => ({
    personId: randomUUID(),
    cpr: `01019${String(i).padStart(5, '0')}`,
    name: 'Test Testesen',
  }));
  const sealed = await sealer.seal(persons);
  await sealer.close();
  process.stdout.write(JSON.stringify({ failure, sealed: sealed.cprSealed.length }));
}

void main();
