import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { LoginResponse, MeResponse } from '@keypool/shared';
import { Public } from '../../common/auth/public.decorator';
import { ApiAdminErrors, ApiErrorBodyDto } from '../../common/swagger/api-errors.decorator';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponseDto, MeResponseDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange the admin password for a JWT (12 h); 5 attempts per minute per IP' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS', type: ApiErrorBodyDto })
  @ApiResponse({ status: 429, description: 'TOO_MANY_REQUESTS (Retry-After header)', type: ApiErrorBodyDto })
  login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.auth.login(body.password);
  }

  @Get('me')
  @ApiBearerAuth('admin')
  @ApiAdminErrors()
  @ApiOperation({ summary: 'Whether this caller is signed in and whether login is required at all' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@Req() request: { user?: unknown }): MeResponse {
    return this.auth.me(Boolean(request.user));
  }

  @UseGuards(ThrottlerGuard)
  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth('admin')
  @ApiAdminErrors()
  @ApiOperation({ summary: 'Change the admin password; signs out every other session, returns a new token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiResponse({ status: 409, description: 'PASSWORD_MANAGED_BY_ENV', type: ApiErrorBodyDto })
  changePassword(@Body() body: ChangePasswordDto): Promise<LoginResponse> {
    return this.auth.changePassword(body.currentPassword, body.newPassword);
  }
}
