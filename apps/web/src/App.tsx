import { Navigate, Route, Routes } from 'react-router';
import { useAuth } from './auth.tsx';
import { Layout } from './components/Layout.tsx';
import { LiveProvider } from './live.tsx';
import { ApprovalsPage } from './pages/ApprovalsPage.tsx';
import { CampaignBuilderPage } from './pages/CampaignBuilderPage.tsx';
import { CampaignPage } from './pages/CampaignPage.tsx';
import { CampaignReportPage } from './pages/CampaignReportPage.tsx';
import { CampaignsPage } from './pages/CampaignsPage.tsx';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { InventoryPage } from './pages/InventoryPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { RunPage } from './pages/RunPage.tsx';
import { RunsPage } from './pages/RunsPage.tsx';
import { SyslogPage } from './pages/SyslogPage.tsx';

export function App() {
  const { user, loading } = useAuth();
  if (loading) return <div className="splash">Hitless</div>;
  if (!user) return <LoginPage />;
  if (user.mustChangePassword) return <ChangePasswordPage firstLogin />;
  return (
    <LiveProvider enabled>
      <Layout>
        <Routes>
          <Route path="/" element={<Navigate to="/inventory" replace />} />
          <Route path="/inventory" element={<InventoryPage />} />
          <Route path="/runs" element={<RunsPage />} />
          <Route path="/runs/:id" element={<RunPage />} />
          <Route path="/campaigns" element={<CampaignsPage />} />
          <Route path="/campaigns/new" element={<CampaignBuilderPage />} />
          <Route path="/campaigns/:id" element={<CampaignPage />} />
          <Route path="/campaigns/:id/edit" element={<CampaignBuilderPage />} />
          <Route path="/campaigns/:id/report" element={<CampaignReportPage />} />
          <Route path="/approvals" element={<ApprovalsPage />} />
          <Route path="/syslog" element={<SyslogPage />} />
          <Route path="/account/password" element={<ChangePasswordPage />} />
          <Route path="*" element={<Navigate to="/inventory" replace />} />
        </Routes>
      </Layout>
    </LiveProvider>
  );
}
