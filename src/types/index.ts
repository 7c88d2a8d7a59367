export * from './query-types';
export * from './query';
export * from './options';
export * from './variables';
