import { MessagesSquare } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { cn } from "../../components/ui/cn";
import { PageHeader } from "../../components/ui/PageHeader";
import { EmptyState } from "../../components/ui/states";
import { Inbox } from "./Inbox";
import { Thread } from "./Thread";

/** The inbox: conversations on the left (live: any conversation event refetches), the thread on the right. */
export function ConversationsPage() {
  const { t } = useTranslation();
  const params = useParams();
  const selected = params["*"] ? Number(params["*"]) : null;
  return (
    <>
      <PageHeader title={t("conversations.title")} description={t("conversations.description")} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
        <div className={cn(selected !== null && "hidden lg:block")}>
          <Inbox selected={selected} />
        </div>
        <div className={cn("min-w-0", selected === null && "hidden lg:block")}>
          {selected === null ? <EmptyState icon={MessagesSquare} title={t("conversations.pick")} description={t("conversations.pickText")} /> : <Thread id={selected} key={selected} />}
        </div>
      </div>
    </>
  );
}
