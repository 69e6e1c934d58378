from campaigns.views.campaigns import campaign_detail, campaign_list, job_progress

__all__ = ["campaign_detail", "campaign_list", "job_progress"]
