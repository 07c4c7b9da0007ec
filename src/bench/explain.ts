import type { mongo } from 'mongoose';

export interface PlanSummary {
  /** MongoDB: the winning plan's stages, outermost first (IXSCAN means an index is used). FerretDB: its backend's plan (SQLite lines, PostgreSQL nodes). */
  plan: string;
  /** FerretDB only: which parts of the query it handed to SQLite; the rest it does in Go over every document. */
  pushdown?: { filter: boolean; sort: boolean };
}

type Stage = { stage?: string; indexName?: string; inputStage?: Stage; inputStages?: Stage[] };
type PgNode = { 'Node Type'?: string; 'Index Name'?: string; Plans?: PgNode[] };

const pgNodes = (n: PgNode): string[] => [`${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`, ...(n.Plans ?? []).flatMap(pgNodes)];

const stages = (s: Stage | undefined): string[] =>
  !s ? [] : [`${s.stage}${s.indexName ? ` ${s.indexName}` : ''}`, ...stages(s.inputStage), ...(s.inputStages ?? []).flatMap(stages)];

/** What the store says it does for a find, in one line, so the figures can say whether an index was used. */
export async function describePlan(db: mongo.Db, collection: string, filter: mongo.Document, sort?: mongo.Document): Promise<PlanSummary> {
  const explained = await db.command({ explain: { find: collection, filter, ...(sort ? { sort } : {}) }, verbosity: 'queryPlanner' });
  if ('filterPushdown' in explained) {
    const backendPlan = explained.queryPlanner?.Plan as string[] | PgNode | undefined;
    const plan = Array.isArray(backendPlan) ? backendPlan.map((l) => l.replace(/^.*detail=/, '')) : backendPlan ? pgNodes(backendPlan) : [];
    return { plan: plan.join('; '), pushdown: { filter: !!explained.filterPushdown, sort: !!explained.sortPushdown } };
  }
  return { plan: stages(explained.queryPlanner?.winningPlan as Stage).join(' <- ') };
}
