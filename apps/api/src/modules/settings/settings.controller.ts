import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Settings } from '@keypool/shared';
import { ApiAdminErrors } from '../../common/swagger/api-errors.decorator';
import { SettingsDto, UpdateSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@ApiBearerAuth('admin')
@ApiAdminErrors()
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: 'Current runtime settings' })
  @ApiOkResponse({ type: SettingsDto })
  get(): Settings {
    return this.settings.current();
  }

  @Put()
  @ApiOperation({ summary: 'Update any subset of the settings; applies to live traffic at once' })
  @ApiOkResponse({ type: SettingsDto })
  update(@Body() body: UpdateSettingsDto): Promise<Settings> {
    return this.settings.update(body);
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore every setting to its default' })
  @ApiOkResponse({ type: SettingsDto })
  reset(): Promise<Settings> {
    return this.settings.reset();
  }
}
