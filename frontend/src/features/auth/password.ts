// The server's MinimumLengthValidator (settings: min_length 10).
export const PASSWORD_MIN = 10;
