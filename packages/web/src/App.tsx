import { useState } from 'react';
import { createBrowserRouter, type RouteObject, RouterProvider } from 'react-router';
import { api, type HttpClient } from './api/http-client.ts';
import { HttpContext } from './api/http-context.ts';
import { RequireSession } from './auth/RequireSession.tsx';
import { SessionProvider } from './auth/SessionProvider.tsx';
import { lazyPage } from './components/lazy-page.tsx';
import { DeviceRiskPage } from './insights/DeviceRiskPage.tsx';
import { InsightsBriefPage } from './insights/InsightsBriefPage.tsx';
import { InsightsFleetPage } from './insights/InsightsFleetPage.tsx';
import { InsightsListPage } from './insights/InsightsListPage.tsx';
import { AppShell } from './layout/AppShell.tsx';
import { AlertDetailPage } from './pages/AlertDetailPage.tsx';
import { AlertsPage } from './pages/AlertsPage.tsx';
import { AccountPanel } from './pages/admin/AccountPanel.tsx';
import { AdminLayout } from './pages/admin/AdminLayout.tsx';
import { ApiTokensPanel } from './pages/admin/ApiTokensPanel.tsx';
import { AuditLogPanel } from './pages/admin/AuditLogPanel.tsx';
import { EnrollmentKeysPanel } from './pages/admin/EnrollmentKeysPanel.tsx';
import { NotificationsPanel } from './pages/admin/NotificationsPanel.tsx';
import { OrganizationsPanel } from './pages/admin/OrganizationsPanel.tsx';
import { UsersPanel } from './pages/admin/UsersPanel.tsx';
import { WorkGroupsPanel } from './pages/admin/WorkGroupsPanel.tsx';
import { CaseDetailPage } from './pages/CaseDetailPage.tsx';
import { CasesPage } from './pages/CasesPage.tsx';
import { DecisionsPage } from './pages/DecisionsPage.tsx';
import { EndpointDetailPage } from './pages/EndpointDetailPage.tsx';
import { EndpointsPage } from './pages/EndpointsPage.tsx';
import { HandoversPage } from './pages/HandoversPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { PoliciesPage } from './pages/PoliciesPage.tsx';
import { RuleDetailPage } from './pages/RuleDetailPage.tsx';
import { RulesPage } from './pages/RulesPage.tsx';

/**
 * Client routes. The server answers a browser's request for any of these
 * top-level paths with index.html (console-routes.ts keeps the same list).
 */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'alerts', element: <AlertsPage /> },
      { path: 'alerts/:id', element: <AlertDetailPage /> },
      { path: 'cases', element: <CasesPage /> },
      { path: 'cases/:id', element: <CaseDetailPage /> },
      { path: 'handovers', element: <HandoversPage /> },
      { path: 'endpoints', element: <EndpointsPage /> },
      {
        path: 'endpoints/groups',
        element: lazyPage(
          () => import('./pages/DeviceGroupsPage.tsx'),
          (m) => m.DeviceGroupsPage,
        ),
      },
      { path: 'endpoints/:id', element: <EndpointDetailPage /> },
      { path: 'insights', element: <InsightsBriefPage /> },
      { path: 'insights/fleet', element: <InsightsFleetPage /> },
      { path: 'insights/list', element: <InsightsListPage /> },
      { path: 'insights/devices/:id', element: <DeviceRiskPage /> },
      { path: 'rules', element: <RulesPage /> },
      {
        path: 'rules/new',
        element: lazyPage(
          () => import('./pages/RuleEditorPage.tsx'),
          (m) => m.RuleEditorPage,
        ),
      },
      {
        path: 'rules/import',
        element: lazyPage(
          () => import('./pages/RuleImportPage.tsx'),
          (m) => m.RuleImportPage,
        ),
      },
      {
        path: 'rules/suppressions',
        element: lazyPage(
          () => import('./pages/SuppressionsPage.tsx'),
          (m) => m.SuppressionsPage,
        ),
      },
      { path: 'rules/:id', element: <RuleDetailPage /> },
      {
        path: 'rules/:id/edit',
        element: lazyPage(
          () => import('./pages/RuleEditorPage.tsx'),
          (m) => m.RuleEditorPage,
        ),
      },
      // Editors (hunting, Sigma) load when first opened.
      {
        path: 'hunting',
        element: lazyPage(
          () => import('./pages/HuntingPage.tsx'),
          (m) => m.HuntingPage,
        ),
      },
      { path: 'policies', element: <PoliciesPage /> },
      { path: 'decisions', element: <DecisionsPage /> },
      {
        path: 'intelligence',
        element: lazyPage(
          () => import('./intel/IntelligencePage.tsx'),
          (m) => m.IntelligencePage,
        ),
      },
      {
        path: 'vulnerabilities',
        element: lazyPage(
          () => import('./exposure/VulnerabilitiesPage.tsx'),
          (m) => m.VulnerabilitiesPage,
        ),
      },
      {
        path: 'analysis',
        element: lazyPage(
          () => import('./exposure/AnalysisPage.tsx'),
          (m) => m.AnalysisPage,
        ),
      },
      {
        path: 'threat-map',
        element: lazyPage(
          () => import('./intel/ThreatMapPage.tsx'),
          (m) => m.ThreatMapPage,
        ),
      },
      {
        path: 'admin',
        element: <AdminLayout />,
        children: [
          { path: 'account', element: <AccountPanel /> },
          { path: 'users', element: <UsersPanel /> },
          { path: 'tokens', element: <ApiTokensPanel /> },
          { path: 'enrollment', element: <EnrollmentKeysPanel /> },
          { path: 'audit', element: <AuditLogPanel /> },
          { path: 'notifications', element: <NotificationsPanel /> },
          { path: 'work-groups', element: <WorkGroupsPanel /> },
          { path: 'organizations', element: <OrganizationsPanel /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function App({ http = api }: { http?: HttpClient }) {
  // Made per mount, not per module, so each test starts from the URL it sets.
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <HttpContext.Provider value={http}>
      <SessionProvider http={http}>
        <RouterProvider router={router} />
      </SessionProvider>
    </HttpContext.Provider>
  );
}
