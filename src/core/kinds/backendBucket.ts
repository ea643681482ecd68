// Backend buckets: Cloud Storage behind a URL map. Read and deleted, never planned.
import { loadBalancingPage, type KindDeclaration } from './kind';

export const backendBucket: KindDeclaration = {
  kind: 'backendBucket',
  label: 'backend bucket',
  plural: 'backend buckets',
  collection: 'backendBuckets',
  gcloud: 'compute backend-buckets',
  regional: false,
  deletePhase: 3,
  consolePath: loadBalancingPage('backends/details/backendBucket'),
  compute: { collection: 'backendBuckets', param: 'backendBucket', regional: false, api: (c) => c.backendBuckets },
  steps: [],
};
