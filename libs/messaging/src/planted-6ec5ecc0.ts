import { DeadLetterStore } from '@app/dead-letters';
export const planted = DeadLetterStore;
