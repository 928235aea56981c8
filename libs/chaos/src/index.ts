export * from './fault-proxy';
export * from './chaos.options';
export * from './chaos.service';
export * from './chaos.module';
