export * from './lib/certificate.entity';
export * from './lib/signing';
export * from './lib/renderer';
export * from './lib/certificates.service';
export * from './lib/certificates.module';
