import 'reflect-metadata';
import { loadConsoleConfig } from '@app/config';
import { runMain } from '@app/http';
import { startConsole } from './console.app';

runMain('console', () => startConsole(loadConsoleConfig()));
