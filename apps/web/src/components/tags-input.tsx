import { Autocomplete, TextField } from '@mui/material';

interface TagsInputProps {
  label: string;
  value: string[];
  onChange: (value: string[]) => void;
  options?: string[];
  placeholder?: string;
  helperText?: string;
  error?: boolean;
}

/** A free-text list (tags, model patterns): type, then Enter or comma. */
export function TagsInput({
  label,
  value,
  onChange,
  options = [],
  placeholder,
  helperText,
  error,
}: TagsInputProps) {
  return (
    <Autocomplete
      multiple
      freeSolo
      autoSelect
      options={options}
      value={value}
      onChange={(_event, next) => onChange([...new Set(next.map((v) => v.trim()).filter(Boolean))])}
      slotProps={{ chip: { size: 'small' } }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          placeholder={value.length === 0 ? (placeholder ?? 'Type and press Enter') : undefined}
          error={error}
          helperText={helperText}
        />
      )}
    />
  );
}
