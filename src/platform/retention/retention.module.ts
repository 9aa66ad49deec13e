import { Global, Module } from '@nestjs/common';
import { PrunerService } from './pruner.service';

/** The pruner and its rules; global so that each owner of a table can register the table's rule. */
@Global()
@Module({
  providers: [PrunerService],
  exports: [PrunerService],
})
export class RetentionModule {}
