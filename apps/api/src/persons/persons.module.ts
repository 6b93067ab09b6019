import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PERSON_DATA_MASTER_KEY, personDataMasterKey } from './person-data-key';
import { PersonRegistry } from './person-registry';
import { PersonsController } from './persons.controller';

/** The person registry; global because pages and commands elsewhere read names through it. */
@Global()
@Module({
  controllers: [PersonsController],
  providers: [
    {
      provide: PERSON_DATA_MASTER_KEY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        personDataMasterKey(config, (message) => new Logger('PersonData').warn(message)),
    },
    PersonRegistry,
  ],
  exports: [PersonRegistry, PERSON_DATA_MASTER_KEY],
})
export class PersonsModule {}
