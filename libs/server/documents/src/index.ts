export * from './lib/pdf-fonts';
