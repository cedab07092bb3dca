import { ApiKeyEntity } from '../modules/keys/api-key.entity';
import { ClientKeyEntity } from '../modules/client-keys/client-key.entity';
import { KeyEventEntity } from '../modules/logs/key-event.entity';
import { RequestLogEntity } from '../modules/logs/request-log.entity';
import { SettingEntity } from '../modules/settings/setting.entity';
import { UpstreamEntity } from '../modules/upstreams/upstream.entity';

export const ENTITIES = [
  UpstreamEntity,
  ApiKeyEntity,
  SettingEntity,
  ClientKeyEntity,
  RequestLogEntity,
  KeyEventEntity,
];
