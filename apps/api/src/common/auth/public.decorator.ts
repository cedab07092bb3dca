import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'keypool:isPublic';

/**
 * Exempts a controller or handler from the admin JWT guard. Proxy routes use it: they authenticate
 * clients with the master key / client keys instead.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
