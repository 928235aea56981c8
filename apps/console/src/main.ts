import 'reflect-metadata';
import { loadConsoleConfig } from '@reliable-payments/config';
import { runMain } from '@reliable-payments/http';
import { startConsole } from './console.app';

runMain('console', () => startConsole(loadConsoleConfig()));
