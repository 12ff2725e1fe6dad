import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryClient";
import type { Profile } from "../../api/types";
import { applyProfileLanguage } from "../../i18n";

export function useProfile() {
  const query = useQuery({
    queryKey: queryKeys.profile,
    queryFn: ({ signal }) => api.get<Profile>("/api/user/profile", { workspace: false, signal }),
    staleTime: 5 * 60_000,
  });
  const language = query.data?.language;
  useEffect(() => applyProfileLanguage(language), [language]);
  return query;
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<Pick<Profile, "name" | "language">>) =>
      api.patch<Profile>("/api/user/profile", changes, { workspace: false }),
    onSuccess: (profile) => queryClient.setQueryData(queryKeys.profile, profile),
  });
}
