import { ApiProperty } from '@nestjs/swagger';
import type { ChangePasswordRequest, LoginRequest, LoginResponse, MeResponse } from '@keypool/shared';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'change-me-admin-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class LoginResponseDto implements LoginResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken: string;

  @ApiProperty({ example: 43200, description: 'Seconds until the token expires' })
  expiresIn: number;
}

export class MeResponseDto implements MeResponse {
  @ApiProperty({ example: true })
  authenticated: boolean;

  @ApiProperty({ example: true, description: 'False when REQUIRE_ADMIN_LOGIN=false' })
  loginRequired: boolean;

  @ApiProperty({
    example: false,
    description: 'True when ADMIN_PASSWORD sets the password: it cannot be changed through the API',
  })
  passwordManagedByEnv: boolean;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ example: 'old-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ example: 'a-new-long-password', minLength: 8 })
  @IsString()
  @MinLength(8, { message: 'newPassword must be at least 8 characters' })
  @MaxLength(200)
  newPassword: string;
}
