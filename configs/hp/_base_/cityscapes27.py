# HP on Cityscapes-27 (json/server/cityscapes.json): τ 0.6, consistency 0.05, ρ 0.02, code dim 512,
# pool 2048, code-pool refresh every 20 iterations, EMA 0.999, λ warm-up 50, 30 epochs.
_base_ = ['./epochs.py', '../../_base_/datasets/cityscapes27.py']
code_dim = 512
epochs = 30
model = dict(hidden_positive_loss=dict(temperature=0.6, rho=0.02), consistency_weight=0.05,
             pool_size=2048, renew_interval=20, ema_momentum=0.999, warmup=50)
train_dataloader = dict(batch_size=64, sampler=dict(type='DefaultSampler', shuffle=True))
