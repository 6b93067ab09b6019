// The person sealer's worker thread (person-sealing.ts): seals the batches it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import {
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

parentPort?.on('message', ({ request, persons }: SealingRequest) => {
  parentPort?.postMessage({
    request,
    sealed: sealPersons(master, persons),
  } satisfies SealingAnswer);
});
