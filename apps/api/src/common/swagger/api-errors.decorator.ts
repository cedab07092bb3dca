import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { ErrorCode } from '@keypool/shared';

class ApiErrorDetailDto {
  @ApiProperty({ enum: Object.values(ErrorCode), example: 'VALIDATION_FAILED' })
  code: ErrorCode;

  @ApiProperty({ example: 'Invalid request: baseUrl' })
  message: string;

  @ApiProperty({
    required: false,
    example: { baseUrl: ['baseUrl must be a valid absolute URL'] },
    description: 'For VALIDATION_FAILED: each bad field (dotted path) with its messages',
  })
  details?: Record<string, unknown>;
}

/** The admin error envelope, for Swagger. */
export class ApiErrorBodyDto {
  @ApiProperty({ type: ApiErrorDetailDto })
  error: ApiErrorDetailDto;
}

/** Documents the errors every admin route can answer. */
export function ApiAdminErrors() {
  return applyDecorators(
    ApiResponse({ status: 400, description: 'VALIDATION_FAILED', type: ApiErrorBodyDto }),
    ApiResponse({
      status: 401,
      description: 'UNAUTHORIZED: missing or expired admin token',
      type: ApiErrorBodyDto,
    }),
  );
}

export function ApiNotFound(code: ErrorCode) {
  return ApiResponse({ status: 404, description: code, type: ApiErrorBodyDto });
}
