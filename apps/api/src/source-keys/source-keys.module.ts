import { Module } from '@nestjs/common';
import { SourceKeysController } from './source-keys.controller';

@Module({ controllers: [SourceKeysController] })
export class SourceKeysModule {}
