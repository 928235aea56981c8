export * from './dead-letter.entity';
export * from './create-dead-letters.migration';
export * from './dead-letter.store';
export * from './dead-letter.alerts';
export * from './dead-letters.service';
export * from './dead-letters.module';
export * from './dead-letters.options';
export * from './dead-letters.errors';
