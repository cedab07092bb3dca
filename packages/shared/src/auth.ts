export interface LoginRequest {
  password: string;
}

export interface LoginResponse {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

export interface MeResponse {
  authenticated: boolean;
  /** False when REQUIRE_ADMIN_LOGIN=false: the admin API is open. */
  loginRequired: boolean;
  /** The password comes from ADMIN_PASSWORD and cannot be changed through the API. */
  passwordManagedByEnv: boolean;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}
