// The person sealer's worker thread (person-sealing.ts): seals the batches it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import {
  searchHashes,
  sealPersons,
  type SealingAnswer,
  type SealingRequest,
  type SealingWorkerData,
} from './person-sealing';

const data = workerData as SealingWorkerData;
const master = {
  id: data.id,
  wrappingKey: Buffer.from(data.wrappingKey),
  searchKey: Buffer.from(data.searchKey),
};

parentPort?.on('message', (asked: SealingRequest) => {
  parentPort?.postMessage(
    ('cprs' in asked
      ? { request: asked.request, hashes: searchHashes(master, asked.cprs) }
      : {
          request: asked.request,
          sealed: sealPersons(master, asked.persons),
        }) satisfies SealingAnswer,
  );
});
