import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One runtime setting (or internal value such as the admin password hash) as a JSON value. */
@Entity('settings')
export class SettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'text' })
  value: string;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
