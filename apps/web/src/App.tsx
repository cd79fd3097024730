import { Navigate, Route, Routes } from 'react-router';
import { useAuth } from './auth.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { Layout } from './components/Layout.tsx';
import { LiveProvider } from './live.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { ApprovalsPage } from './pages/ApprovalsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { CampaignBuilderPage } from './pages/CampaignBuilderPage.tsx';
import { CampaignPage } from './pages/CampaignPage.tsx';
import { CampaignReportPage } from './pages/CampaignReportPage.tsx';
import { CampaignsPage } from './pages/CampaignsPage.tsx';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { CredentialsPage } from './pages/CredentialsPage.tsx';
import { DevicePage } from './pages/DevicePage.tsx';
import { ImagesPage } from './pages/ImagesPage.tsx';
import { InventoryPage } from './pages/InventoryPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { MatrixPage } from './pages/MatrixPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { RunPage } from './pages/RunPage.tsx';
import { RunsPage } from './pages/RunsPage.tsx';
import { SyslogPage } from './pages/SyslogPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';

export function App() {
  const { user, loading } = useAuth();
  if (loading) return <div className="splash">Hitless</div>;
  if (!user) return <LoginPage />;
  if (user.mustChangePassword) return <ChangePasswordPage firstLogin />;
  return (
    <LiveProvider enabled>
      <Layout>
        <ErrorBoundary>
          <Routes>
            <Route path="/" element={<Navigate to="/inventory" replace />} />
            <Route path="/inventory" element={<InventoryPage />} />
            <Route path="/devices/:id" element={<DevicePage />} />
            <Route path="/runs" element={<RunsPage />} />
            <Route path="/runs/:id" element={<RunPage />} />
            <Route path="/campaigns" element={<CampaignsPage />} />
            <Route path="/campaigns/new" element={<CampaignBuilderPage />} />
            <Route path="/campaigns/:id" element={<CampaignPage />} />
            <Route path="/campaigns/:id/edit" element={<CampaignBuilderPage />} />
            <Route path="/campaigns/:id/report" element={<CampaignReportPage />} />
            <Route path="/approvals" element={<ApprovalsPage />} />
            <Route path="/images" element={<ImagesPage />} />
            <Route path="/images/matrix" element={<MatrixPage />} />
            <Route path="/syslog" element={<SyslogPage />} />
            <Route path="/audit" element={<AuditPage />} />
            <Route path="/admin/credentials" element={<CredentialsPage />} />
            <Route path="/admin/users" element={<UsersPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="/account/password" element={<ChangePasswordPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </ErrorBoundary>
      </Layout>
    </LiveProvider>
  );
}
