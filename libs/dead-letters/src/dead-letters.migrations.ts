import { ClassifyDeadLetters1765100000100 } from './classify-dead-letters.migration';
import { CreateDeadLetters1763700000500 } from './create-dead-letters.migration';
import { CreateRedriveJobs1765100000400 } from './create-redrive-jobs.migration';
import { IndexDeadLetterGroups1765200000100 } from './index-dead-letters-groups.migration';
import { IndexDeadLettersRedrivenAt1763800000200 } from './index-dead-letters-redriven-at.migration';
import { RecordDeadLetterEdits1765100000200 } from './record-edits.migration';
import { DeadLetter } from './dead-letter.entity';
import { RedriveJob } from './redrive-job.entity';

/** Every migration the dead-letter store's tables need, oldest first: add them to your DataSource's `migrations`. */
export const DEAD_LETTERS_MIGRATIONS = [
  CreateDeadLetters1763700000500,
  IndexDeadLettersRedrivenAt1763800000200,
  ClassifyDeadLetters1765100000100,
  RecordDeadLetterEdits1765100000200,
  CreateRedriveJobs1765100000400,
  IndexDeadLetterGroups1765200000100,
] as const;

/** The entities those tables map to: add them to your DataSource's `entities`. */
export const DEAD_LETTERS_ENTITIES = [DeadLetter, RedriveJob] as const;
