import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import ru from "./ru.json";

export const LANGUAGES = ["en", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The browser's language until the user's profile says otherwise (applyProfileLanguage). */
export function initialLanguage(): Language {
  const nav = typeof navigator !== "undefined" ? navigator.language : "en";
  return nav?.toLowerCase().startsWith("ru") ? "ru" : "en";
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ru: { translation: ru } },
  lng: initialLanguage(),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng;
});

export function applyProfileLanguage(language: string | undefined | null) {
  const lng = language?.slice(0, 2).toLowerCase();
  if (lng && (LANGUAGES as readonly string[]).includes(lng) && i18n.language !== lng) void i18n.changeLanguage(lng);
}

export default i18n;
