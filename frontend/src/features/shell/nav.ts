import {
  BarChart3,
  Bot,
  BookOpen,
  CreditCard,
  FlaskConical,
  LayoutDashboard,
  Link2,
  MessagesSquare,
  Plug,
  Settings,
  Zap,
  type LucideIcon,
} from "lucide-react";

export interface NavItem {
  path: string;
  key: string;
  icon: LucideIcon;
}

/** The sidebar, in order. Sections without a page yet route to a "coming soon" state. */
export const NAV: NavItem[] = [
  { path: "/", key: "dashboard", icon: LayoutDashboard },
  { path: "/agents", key: "agents", icon: Bot },
  { path: "/knowledge", key: "knowledge", icon: BookOpen },
  { path: "/conversations", key: "conversations", icon: MessagesSquare },
  { path: "/playground", key: "playground", icon: FlaskConical },
  { path: "/triggers", key: "triggers", icon: Zap },
  { path: "/chains", key: "chains", icon: Link2 },
  { path: "/integrations", key: "integrations", icon: Plug },
  { path: "/statistics", key: "statistics", icon: BarChart3 },
  { path: "/billing", key: "billing", icon: CreditCard },
  { path: "/settings", key: "settings", icon: Settings },
];
