import type { AnyStateMachine } from 'xstate';
import { statusFromChart } from './chart-facts';
import { standardLicence } from './standard-licence';

/** A registered process definition; running applications stay on the version they started with. */
export interface ProcessDefinition {
  id: string;
  version: number;
  machine: AnyStateMachine;
  /** The status a person reads for a state of this machine. */
  statusOf: (stateValue: unknown, context: never) => string;
}

/** Every process definition ever released. A changed machine is added as a new version, never edited in place. */
export const processDefinitions: ProcessDefinition[] = [
  // v1 gained 视为受理 (Art. 32) without a new version: its timer starts only on receipt, so applications saved before have none and run as they did.
  { id: 'standard-licence', version: 1, machine: standardLicence, statusOf: statusFromChart(standardLicence) },
];
